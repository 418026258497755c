/// The model an exchange asked for: the request body's `model`, else the Gemini path's
/// `models/NAME:method`.
public enum RequestModel {
    /// The model name, nil when the request names none.
    public static func name(of request: CapturedRequest) -> String? {
        if request.body.first == UInt8(ascii: "{"),
           let object = JSONValue.parse(request.body), object.isObject,
           let model = object.jsonString("model"), !model.isEmpty {
            return model
        }
        guard let range = request.target.range(of: "/models/") else { return nil }
        let rest = request.target[range.upperBound...]
        let name = rest.prefix { $0 != ":" && $0 != "?" && $0 != "/" }
        return name.isEmpty ? nil : String(name)
    }
}

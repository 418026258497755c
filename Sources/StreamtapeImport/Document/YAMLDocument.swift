import Foundation
import Yams

/// Reads YAML (as vcrpy writes cassettes) into a `DocNode` tree with Yams, keeping lines.
enum YAMLDocument {
    /// Parses UTF-8 YAML text; a syntax error names its line.
    static func parse(_ bytes: [UInt8]) throws(ImportError) -> DocNode {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ImportError("not UTF-8 text, so not a YAML cassette") }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw describe(error)
        } catch {
            throw ImportError("not valid YAML: \(error)")
        }
        guard let root else { throw ImportError("empty YAML document") }
        return try convert(root)
    }

    private static func describe(_ error: YamlError) -> ImportError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            ImportError(line: mark.line, "not valid YAML: \(problem)")
        case let .reader(problem, offset, _, yaml):
            // Yams' own description adds the offending line and a caret below it: not one line.
            ImportError(line: offset.map { yaml.prefix($0).count(where: \.isNewline) + 1 }, "not valid YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            ImportError(line: context.mark.line, "not valid YAML: duplicate key \(duplicates.first ?? "")")
        default:
            ImportError("not valid YAML: \(error)")
        }
    }

    private static func convert(_ node: Node) throws(ImportError) -> DocNode {
        let line = node.mark?.line
        switch node {
        case .scalar(let scalar):
            return DocNode(value: try scalarValue(scalar, node: node, line: line), line: line)
        case .sequence(let seq):
            var items: [DocNode] = []
            for n in seq { items.append(try convert(n)) }
            return DocNode(value: .list(items), line: line)
        case .mapping(let map):
            var pairs: [(key: String, value: DocNode)] = []
            for (k, v) in map { pairs.append((key: k.string ?? "", value: try convert(v))) }
            return DocNode(value: .map(pairs), line: line)
        case .alias:
            throw ImportError(line: line, "YAML aliases are not supported here")
        }
    }

    private static func scalarValue(_ scalar: Node.Scalar, node: Node, line: Int?) throws(ImportError) -> DocNode.Value {
        switch Tag.Name(rawValue: node.tag.rawValue) {
        case .binary:
            // `!!binary` is base64 over several lines; Foundation skips the line breaks with this option.
            guard let data = Data(base64Encoded: scalar.string, options: .ignoreUnknownCharacters) else {
                throw ImportError(line: line, "!!binary is not valid base64")
            }
            return .bytes([UInt8](data))
        case .null: return .null
        case .bool: return node.bool.map { .bool($0) } ?? .string(scalar.string)
        case .int: return node.int.map { .int($0) } ?? .string(scalar.string)
        case .float: return node.float.map { .float($0) } ?? .string(scalar.string)
        default: return .string(scalar.string)
        }
    }
}

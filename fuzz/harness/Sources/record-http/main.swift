import FuzzSupport

fuzzMain { data, size in fuzzRecordHTTP(data, size) }

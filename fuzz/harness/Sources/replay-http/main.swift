import FuzzSupport

fuzzMain { data, size in fuzzReplayHTTP(data, size) }

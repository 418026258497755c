import FuzzSupport

fuzzMain { data, size in fuzzCassette(data, size) }

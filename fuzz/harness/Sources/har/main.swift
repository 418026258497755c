import FuzzSupport

fuzzMain { data, size in fuzzHAR(data, size) }

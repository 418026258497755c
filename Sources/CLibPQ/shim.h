#ifndef CLIBPQ_SHIM_H
#define CLIBPQ_SHIM_H
#include <libpq-fe.h>

/// The bytea type's OID (pg_type.h is a server header, not shipped with libpq-fe.h).
static const unsigned int clibpq_bytea_oid = 17;
#endif

/**
 * The query side of Tessera: it projects the events published on {@code tessera.events} into read
 * tables of its own schema and answers the query API from them, always within one tenant — enforced
 * by PostgreSQL row-level security as well as by every query's tenant filter (see {@code tenancy}). It
 * never reads the command side's tables and never calls it.
 */
package io.tessera.query;

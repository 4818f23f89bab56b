package io.tessera.query.paging;

/**
 * One listable read table: its name in cursors, its table, the columns to select, the column that
 * {@code q} searches and the column that {@code status} filters (null: none). Constants of the code,
 * never client input, so they may go into SQL text.
 */
public record Listing(String resource, String table, String columns, String searchColumn, String statusColumn) {}

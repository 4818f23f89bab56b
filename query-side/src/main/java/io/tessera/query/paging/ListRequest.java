package io.tessera.query.paging;

/** A validated list request: what to list and which page of it. */
public record ListRequest(ListFilter filter, PageSpec page) {}

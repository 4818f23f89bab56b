package io.tessera.query.paging;

import io.tessera.infra.web.Pagination;
import java.util.List;

/** One page of a listing and its pagination block. */
public record ListPage<T>(List<T> items, Pagination pagination) {}

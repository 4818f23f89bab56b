/**
 * Users of a tenant, managed by its admins: the {@link io.tessera.command.user.User} aggregate, whose id
 * follows from tenant and lower-cased e-mail so that one address exists once per tenant, and its
 * endpoints.
 */
package io.tessera.command.user;

/**
 * Users of a tenant and their role. The user id is derived from tenant and e-mail, so that one e-mail
 * is one user per tenant without a set-wide check.
 */
package io.tessera.events.user;

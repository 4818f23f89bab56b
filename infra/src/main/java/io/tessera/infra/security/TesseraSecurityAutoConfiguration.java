package io.tessera.infra.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.infra.ratelimit.RateLimitFilter;
import io.tessera.infra.ratelimit.TenantRateLimiter;
import io.tessera.infra.tenancy.OffboardedTenants;
import io.tessera.infra.tenancy.TenantResolutionFilter;
import io.tessera.infra.web.EnvelopeWriter;
import io.tessera.infra.web.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Every request to an existing {@code /api} route needs a valid bearer token, except a POST to the token endpoints
 * (the command side's {@code io.tessera.command.auth}); health, metrics and {@code /oauth2/token} are open, and a route that does not
 * exist is a 404 with or without a token. Failures answer in
 * the envelope. No session, no CSRF: callers are machines and dashboards with bearer tokens.
 */
@AutoConfiguration(
        beforeName = {
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration"
        })
@EnableWebSecurity
@EnableConfigurationProperties(JwtSettings.class)
public class TesseraSecurityAutoConfiguration {

    /** Where callers trade client credentials or a refresh token for tokens: the only bearer-free {@code /api} paths. */
    public static final List<String> PUBLIC_TOKEN_ENDPOINTS = List.of("/api/auth/token", "/api/auth/refresh");

    /**
     * RFC 6749's token endpoint (the command side's), outside {@code /api}: open, and its {@code Authorization}
     * header is the client's HTTP Basic authentication, never read as a bearer token.
     */
    public static final String OAUTH2_TOKEN_ENDPOINT = "/oauth2/token";

    @Bean
    SecurityFilterChain apiSecurity(
            HttpSecurity http,
            JwtDecoder jwtDecoder,
            EnvelopeWriter envelopeWriter,
            ObjectProvider<TenantRateLimiter> rateLimiter,
            ObjectProvider<MeterRegistry> meters,
            ObjectProvider<OffboardedTenants> offboarded,
            ListableBeanFactory beans)
            throws Exception {
        AuthenticationEntryPoint unauthenticated = (request, response, e) -> envelopeWriter.writeFailure(
                response, ErrorCode.UNAUTHENTICATED, "A valid bearer token is required", null);
        AccessDeniedHandler forbidden = (request, response, e) ->
                envelopeWriter.writeFailure(response, ErrorCode.FORBIDDEN, "Your roles do not allow this", null);
        // Counted before the tenant is resolved, so a 403 TENANT_FORBIDDEN carries the headers too.
        rateLimiter.ifAvailable(limiter -> http.addFilterAfter(
                new RateLimitFilter(limiter, envelopeWriter, meters.getIfAvailable()),
                BearerTokenAuthenticationFilter.class));
        http.addFilterAfter(
                new TenantResolutionFilter(envelopeWriter, offboarded.getIfAvailable(() -> tenantId -> false)),
                BearerTokenAuthenticationFilter.class);
        return http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(
                        auth -> auth.requestMatchers(HttpMethod.POST, PUBLIC_TOKEN_ENDPOINTS.toArray(String[]::new))
                                .permitAll()
                                .requestMatchers(new ExistingApiRoutes(beans))
                                .authenticated()
                                .anyRequest()
                                .permitAll())
                .oauth2ResourceServer(oauth -> oauth.bearerTokenResolver(bearerTokens())
                        .jwt(jwt -> jwt.decoder(jwtDecoder))
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(forbidden))
                .exceptionHandling(
                        e -> e.authenticationEntryPoint(unauthenticated).accessDeniedHandler(forbidden))
                .build();
    }

    private static BearerTokenResolver bearerTokens() {
        DefaultBearerTokenResolver header = new DefaultBearerTokenResolver();
        return request -> OAUTH2_TOKEN_ENDPOINT.equals(request.getRequestURI()
                        .substring(request.getContextPath().length()))
                ? null
                : header.resolve(request);
    }

    /** A URL the firewall refuses (encoded NUL, path traversal, ...) is a 400 in the envelope. */
    @Bean
    RequestRejectedHandler envelopeRequestRejectedHandler(EnvelopeWriter envelopeWriter) {
        return (request, response, rejected) -> envelopeWriter.writeFailure(
                response, ErrorCode.VALIDATION_FAILED, "The request URL is not valid", null);
    }

    @Bean
    public JwtDecoder jwtDecoder(JwtSettings settings) {
        OAuth2TokenValidator<Jwt> validator = validatorFor(settings);
        return new VerifiedTokens(verifier(settings, validator), validator);
    }

    private static JwtDecoder verifier(JwtSettings settings, OAuth2TokenValidator<Jwt> validator) {
        if (settings.usesSharedSecret()) {
            return TesseraJwtDecoders.sharedSecret(settings.secretBytes(), validator);
        }
        if (hasText(settings.jwksUri())) {
            return TesseraJwtDecoders.jwkSet(settings.jwksUri(), validator);
        }
        if (hasText(settings.issuer())) {
            return TesseraJwtDecoders.issuer(settings.issuer(), validator);
        }
        throw new IllegalStateException(
                "No token verification configured: set TESSERA_JWT_SECRET, or TESSERA_JWT_ISSUER / TESSERA_JWT_JWKS_URI");
    }

    static OAuth2TokenValidator<Jwt> validatorFor(JwtSettings settings) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTimestampValidator(settings.clockSkew()));
        validators.add(new JwtClaimValidator<Object>("exp", Objects::nonNull));
        validators.add(new JwtClaimValidator<Object>(Caller.TENANT_ID, t -> t instanceof String s && !s.isBlank()));
        validators.add(new JwtClaimValidator<Object>("sub", t -> t instanceof String s && !s.isBlank()));
        if (hasText(settings.issuer())) {
            validators.add(new JwtIssuerValidator(settings.issuer()));
        }
        if (hasText(settings.audience())) {
            validators.add(new JwtClaimValidator<List<String>>(
                    "aud", aud -> aud != null && aud.contains(settings.audience())));
        }
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}

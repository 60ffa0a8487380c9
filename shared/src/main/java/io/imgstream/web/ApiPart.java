package io.imgstream.web;

import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * For the API document: the two ways to send a key (which {@link KeyedApi} names), declared once for every HTTP
 * function's part of it. Each function module's annotation processor writes its own part, so each puts this stereotype
 * on its one documentation class ({@code UploadApi}, {@code FetchApi}, {@code CollisionCheckApi}); micronaut-openapi
 * reads it at build time. ({@code @OpenAPIInclude} of {@code /health} stays on those classes: micronaut-openapi visits
 * only classes that carry it themselves.)
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "isk_…")
@SecurityScheme(name = "apiKey", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER, paramName = "X-API-Key")
public @interface ApiPart {
}

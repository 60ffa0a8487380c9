package example.micronaut;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.util.UUID;

/** A row of the bench database's {@code users} table. */
@MappedEntity("users")
public record User(@Id UUID id, String name) {
}

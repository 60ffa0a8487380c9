package example.micronaut;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

/** The guide's hello, answering one repository {@code count()} against the database: the floor of our own stack. */
@Controller("/hello")
public class HelloController {

    private final UserRepository users;

    public HelloController(UserRepository users) {
        this.users = users;
    }

    @Get
    @Produces(MediaType.TEXT_PLAIN)
    public String index() {
        return "users: " + users.count();
    }
}

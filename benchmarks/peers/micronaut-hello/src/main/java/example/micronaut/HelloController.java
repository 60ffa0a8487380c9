package example.micronaut;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

/** The micronaut-gcp guide's HTTP function: one controller, served by {@code io.micronaut.gcp.function.http.HttpFunction}. */
@Controller("/hello")
public class HelloController {

    @Get
    @Produces(MediaType.TEXT_PLAIN)
    public String index() {
        return "Example Response";
    }
}

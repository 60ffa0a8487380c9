package io.imgstream.openapi;

import io.micronaut.openapi.OpenApiUtils;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.StandardLocation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Runs {@link HeadOperations} over the API documents of the compilation, once micronaut-openapi has written them.
 * <p>
 * micronaut-openapi writes {@code META-INF/swagger/*.yml} from Micronaut's processor, which javac discovered before
 * this one (it comes earlier on the processor path: the root pom's {@code openapi-document} profile appends this
 * module after micronaut-openapi); in the last round javac calls the processors in that order, so the documents are
 * complete when this one reads them. It claims no annotation.
 */
@SupportedAnnotationTypes("*")
public final class HeadOperationsProcessor extends AbstractProcessor {

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        if (!round.processingOver()) {
            return false;
        }
        try {
            // where the class output is: the location of a name there (javac answers for files only, existing or not)
            Path classOutput = Path.of(processingEnv.getFiler()
                    .getResource(StandardLocation.CLASS_OUTPUT, "", "imgstream-openapi-head").toUri()).getParent();
            HeadOperations heads = new HeadOperations(OpenApiUtils.getYamlMapper());
            for (Path document : HeadOperations.documents(classOutput)) {
                int added = heads.addTo(document);
                if (added > 0) {
                    processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE,
                            "Added " + added + " HEAD operations to " + document);
                }
            }
        } catch (IOException | RuntimeException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                    "HEAD operations of the API document: " + e);
        }
        return false;
    }
}

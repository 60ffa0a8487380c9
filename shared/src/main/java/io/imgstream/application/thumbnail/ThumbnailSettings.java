package io.imgstream.application.thumbnail;

import io.imgstream.config.InvalidConfigurationException;
import io.imgstream.domain.ThumbnailSpec;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * @param sizes             {@code THUMBNAIL_SIZES}: the edges served, comma separated (default 160,320,640,1280,2048)
 * @param renderConcurrency {@code THUMBNAIL_RENDER_CONCURRENCY}: renders at a time per instance; 0 or absent means 2 per
 *                          vCPU. Each holds at most {@code 8 Mpx} of decoded pixels (32 MiB), so this bounds memory.
 * @param slotWait          how long a render waits for a slot before the request is a 503 with Retry-After
 */
@ConfigurationProperties("imgstream.thumbnails")
public record ThumbnailSettings(@Nullable String sizes, @Bindable(defaultValue = "0") int renderConcurrency,
                                @Bindable(defaultValue = "PT5S") Duration slotWait) {

    public ThumbnailSettings {
        try {
            ThumbnailSpec.parseSizes(sizes);
        } catch (IllegalArgumentException e) {
            InvalidConfigurationException.fail(e.getMessage());
        }
        InvalidConfigurationException.requireRange("THUMBNAIL_RENDER_CONCURRENCY", renderConcurrency, 0, 1024);
    }

    public List<Integer> sizeList() {
        return ThumbnailSpec.parseSizes(sizes);
    }

    public int concurrency() {
        return renderConcurrency > 0 ? renderConcurrency : 2 * Runtime.getRuntime().availableProcessors();
    }
}

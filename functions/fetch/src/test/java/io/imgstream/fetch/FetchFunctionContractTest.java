package io.imgstream.fetch;

import io.imgstream.support.HttpFunctionContract;

class FetchFunctionContractTest extends HttpFunctionContract {
    @Override
    protected String protectedPath() {
        return "/images";
    }
}

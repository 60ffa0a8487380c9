package io.imgstream.upload;

import io.imgstream.support.HttpFunctionContract;

class UploadFunctionContractTest extends HttpFunctionContract {
    @Override
    protected String protectedPath() {
        return "/images/00000000-0000-0000-0000-000000000000";
    }

    @Override
    protected String routedMethod() {
        return "DELETE";
    }
}

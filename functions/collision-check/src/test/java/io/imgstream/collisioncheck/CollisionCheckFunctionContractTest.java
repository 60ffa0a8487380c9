package io.imgstream.collisioncheck;

import io.imgstream.support.HttpFunctionContract;

class CollisionCheckFunctionContractTest extends HttpFunctionContract {
    @Override
    protected String protectedPath() {
        return "/collision-check/stats";
    }
}

"""The app the bench serves: the product's own WSGI app, plus one route only the bench has.

`POST /bench/no-op-token` is `token_rate`'s baseline (SPEC 10): it parses the same Basic
header and form as the token endpoint and answers JSON of the same shape, and does nothing
else; served by the same server processes, so the ratio is the cost of issuing a token.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import BadRequest, Unauthorized

from entrypoints.wsgi import create as create_product_app

NO_OP_TOKEN_PATH = "/bench/no-op-token"


def create() -> Flask:
    app = create_product_app()

    def no_op_token() -> Response:
        auth = request.authorization
        if auth is None or auth.type != "basic" or not auth.username:
            raise Unauthorized()
        if request.form.get("grant_type") != "client_credentials":
            raise BadRequest()
        response = jsonify(
            access_token="x" * 43, token_type="Bearer", expires_in=3600, scope="accounting"
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    app.add_url_rule(NO_OP_TOKEN_PATH, "bench_no_op_token", no_op_token, methods=["POST"])
    return app

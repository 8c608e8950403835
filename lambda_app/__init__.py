"""The operations HTTP API (AWS Lambda behind API Gateway HTTP API) and its local server."""

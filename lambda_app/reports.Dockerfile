# syntax=docker/dockerfile:1
# The scheduled reports function (lambda_app/template.yaml ReportsFunction): the whole core with
# pandas and matplotlib, too big for a zip. Build from the repository root for arm64:
#   docker buildx build --platform linux/arm64 --provenance=false \
#     -f lambda_app/reports.Dockerfile -t REPO:TAG .
# (--provenance=false: Lambda accepts a single-platform image manifest, not an index.)
FROM public.ecr.aws/lambda/python:3.13

# The image is read-only at run time: matplotlib keeps its cache under /tmp.
ENV MPLCONFIGDIR=/tmp/matplotlib

COPY requirements.txt ${LAMBDA_TASK_ROOT}/
RUN pip install --no-cache-dir --disable-pip-version-check -r ${LAMBDA_TASK_ROOT}/requirements.txt

COPY core/ ${LAMBDA_TASK_ROOT}/core/
COPY lambda_app/__init__.py lambda_app/reports_job.py ${LAMBDA_TASK_ROOT}/lambda_app/
# Bytecode now, since the function cannot write __pycache__ at run time.
RUN python -m compileall -q ${LAMBDA_TASK_ROOT}/core ${LAMBDA_TASK_ROOT}/lambda_app

CMD ["lambda_app.reports_job.handler"]

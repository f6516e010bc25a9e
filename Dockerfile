# Treaty Audit service. Runs offline: models and sample agreements are in the image.
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-spa \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 auditor
WORKDIR /app
COPY pyproject.toml README.md ./
COPY auditor ./auditor
COPY api ./api
COPY models ./models
COPY agreements ./agreements
COPY schemas ./schemas
RUN pip install --no-cache-dir -e '.[service]'

RUN mkdir -p /data && chown auditor:auditor /data
USER auditor
ENV AUDITOR_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8000
CMD ["auditor", "serve", "--host", "0.0.0.0", "--port", "8000"]

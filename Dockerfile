# Multi-stage build of the Zhilian API server with the staff console embedded.
#   docker build --build-arg VERSION=v1.2.0 --build-arg COMMIT=$(git rev-parse HEAD) .
FROM node:20-bookworm AS console
WORKDIR /src/console
COPY console/package.json console/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY console/ ./
# Writes /src/internal/webui/dist/{console,docs}; fails over the bundle budgets.
RUN npm run build

FROM golang:1.26-bookworm AS build
ARG VERSION=dev
ARG COMMIT=unknown
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=console /src/internal/webui/dist/ internal/webui/dist/
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
      -o /out/zhilian ./cmd/server && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/zhilian /zhilian
# The upload folder belongs to the nonroot user (a named volume takes its owner from here).
COPY --from=build --chown=65532:65532 /out/data /data
ENV ZL_HTTP_ADDR=:8080 ZL_BLOB_URL=file:///data
VOLUME ["/data"]
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/zhilian"]

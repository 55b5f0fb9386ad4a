# Multi-stage build of the Zhilian API server.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/zhilian ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/zhilian /zhilian
ENV ZL_HTTP_ADDR=:8080 ZL_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/zhilian"]

# Client Center: a static binary on a minimal, non-root base image.
#   docker build -t clientcenter .
#   docker run -p 8080:8080 -v $PWD/config.yaml:/etc/clientcenter/config.yaml:ro \
#     -e CLIENTCENTER_ERPNET_CLIENT_SECRET=... -e CLIENTCENTER_SESSION_HASH_KEY=... -e CLIENTCENTER_SESSION_BLOCK_KEY=... clientcenter
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/clientcenter/clientcenter/internal/app.Version=${VERSION} -X github.com/clientcenter/clientcenter/internal/server.Version=${VERSION}" \
      -o /out/clientcenter ./cmd/clientcenter

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/clientcenter /clientcenter
USER nonroot:nonroot
# Inside a container the portal must listen on every interface; the port stays unprivileged.
ENV CLIENTCENTER_LISTEN=0.0.0.0:8080
EXPOSE 8080
HEALTHCHECK NONE
ENTRYPOINT ["/clientcenter"]
CMD ["serve", "-config", "/etc/clientcenter/config.yaml"]

# autopilot/autopilot:<version>: the image generated Dockerfiles take the supervisor from,
#   COPY --from=autopilot/autopilot:<version> /usr/local/bin/autopilot /usr/local/bin/autopilot
# It holds the single-file binaries and nothing else. Build (the binaries first, then this):
#   npm run build:image      # = npm run build:binary && docker build -t autopilot/autopilot:<version> .
# /usr/local/bin/autopilot       linux-x64, glibc (Debian, Ubuntu, the node:*-bookworm images)
# /usr/local/bin/autopilot-musl  linux-x64, musl (Alpine; needs `apk add libstdc++`)
# Both are dynamically linked against their libc, so this image is a carrier to copy from,
# not one to run: copy the binary into an image that has that libc.
FROM scratch
ARG VERSION=unknown
LABEL org.opencontainers.image.title="autopilot" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MPL-2.0"
COPY dist/bin/autopilot-linux-x64 /usr/local/bin/autopilot
COPY dist/bin/autopilot-linux-x64-musl /usr/local/bin/autopilot-musl

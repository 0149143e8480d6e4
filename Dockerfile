# McpGateway container image.
#
#   docker build -t mcpgateway .
#   docker run -p 8080:8080 -e Gateway__PublicOrigin=https://chat.example.com -e Auth__Authority=https://idp.example.com \
#              -e Redis__Configuration=redis:6379 mcpgateway
#
# Three stages: the Svelte frontend (Node), the .NET publish (SDK), and the runtime (the ASP.NET Core
# image, no SDK, no Node). Configuration comes from environment variables (Section__Key, see README.md).
# The tests in tests/McpGateway.IntegrationTests/Deploy/ run the "web" and "build" stages' WORKDIR, COPY and
# RUN steps as written here (PublishedImage.cs), so keep them plain: one npm or dotnet command per RUN,
# no shell syntax.

# ---- 1. frontend: src/web → wwwroot ---------------------------------------------------------------
FROM node:20-bookworm-slim AS web
WORKDIR /src/src/web
COPY src/web/package.json src/web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY src/web/ ./
# vite.config.ts writes the bundle to ../McpGateway/wwwroot, i.e. /src/src/McpGateway/wwwroot.
RUN npm run build

# ---- 2. build: restore (cached while no project file changes), then publish -----------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/McpGateway/McpGateway.csproj src/McpGateway/
RUN dotnet restore src/McpGateway/McpGateway.csproj
COPY src/McpGateway/ src/McpGateway/
COPY --from=web /src/src/McpGateway/wwwroot/ src/McpGateway/wwwroot/
RUN dotnet publish src/McpGateway/McpGateway.csproj -c Release -o /app --no-restore -p:UseAppHost=false -p:BuildFrontend=false

# ---- 3. runtime -----------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# One port, plain HTTP: TLS ends at the load balancer / ingress (set Gateway__PublicOrigin to the https origin).
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
# The key-encryption certificate's folder, owned by the app user: an empty named volume mounted there
# (docker-compose.yml) takes this owner, so the first start can write the certificate into it.
RUN mkdir -p /var/lib/mcpgateway/keys && chown $APP_UID /var/lib/mcpgateway/keys
# The image's built-in unprivileged user (uid 1654); nothing in /app is writable by it.
USER $APP_UID
# /healthz through the gateway's own probe command: the runtime image has no curl.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["dotnet", "/app/McpGateway.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "McpGateway.dll"]

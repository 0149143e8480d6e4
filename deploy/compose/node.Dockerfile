# The development servers of deploy/dev (OpenID provider, MCP server + bearer-checking front, sample chat
# upstream) as one image for docker-compose.yml. DEVELOPMENT ONLY: the OpenID provider accepts any login.
# Build context: the repository root (see docker-compose.yml); dependencies come from the lock file.
FROM node:20-bookworm-slim
WORKDIR /stack
COPY deploy/dev/package.json deploy/dev/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY deploy/dev/ ./
COPY deploy/compose/node/ /opt/compose/
ENV NODE_ENV=production
USER node
# Each service of docker-compose.yml sets its own command, port and health check.
CMD ["node", "--version"]

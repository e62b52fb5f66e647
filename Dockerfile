# Beckon server image: built in one stage, run from a slim one as an unprivileged user.
# The build is the root package.json's `pnpm build`, the same script CI and developers run
# (packages/server/test/build.test.ts carries these steps out and starts the result), then
# `pnpm deploy --prod` puts dist/ and the few packages that cannot be bundled into /app.
FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN corepack enable
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json ./
COPY packages ./packages
COPY examples ./examples
RUN pnpm install --frozen-lockfile
RUN pnpm build
RUN pnpm --filter @beckon/server deploy --prod --legacy /app

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]

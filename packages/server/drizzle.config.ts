import { defineConfig } from 'drizzle-kit';

// Generation only reads the schema; it needs no database.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './src/db/migrations',
});

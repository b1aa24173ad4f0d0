import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// In development the API server runs separately (default port 3000); Vite proxies its paths so the
// browser sees one origin, as in production where the server serves this build itself. The server refuses
// mutations from origins it does not know: start it with ALLOWED_ORIGINS=http://localhost:5173.
const apiTarget = process.env.COUNTERSIGN_API ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/trpc": { target: apiTarget, changeOrigin: false },
      "/export": { target: apiTarget, changeOrigin: false },
      "/health": { target: apiTarget, changeOrigin: false },
    },
  },
  build: {
    // scripts/web-size.mjs reads the manifest to total what each route loads.
    manifest: true,
    sourcemap: true,
    target: "es2022",
    rolldownOptions: {
      treeshake: {
        // The domain package is pure (no I/O, no side effects at import) but does not say so in its
        // package.json; without this, importing one name pulls the whole 2020 plan text into the bundle.
        moduleSideEffects: [{ test: /[\\/]packages[\\/]domain[\\/]/, sideEffects: false }],
      },
    },
  },
});

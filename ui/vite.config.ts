/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// The app embeds ui/dist (tauri.conf.json build.frontendDist); relative paths for tauri://localhost.
export default defineConfig({
  base: "./",
  clearScreen: false,
  build: { outDir: "dist", target: "es2022", emptyOutDir: true },
  test: { environment: "jsdom", globals: true },
});

import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));

/**
 * Every text bundle of the build also written compressed beside it (.br at brotli's best quality,
 * .gz at level 9): the server sends these as they are (@fastify/static preCompressed), so no
 * request pays for compressing the same bytes again.
 */
function precompress(): Plugin {
  return {
    name: 'canbao-precompress',
    apply: 'build',
    closeBundle() {
      const assets = path.join(outDir, 'assets');
      for (const name of fs.readdirSync(assets)) {
        if (!/\.(js|css|svg|json)$/.test(name)) continue;
        const file = path.join(assets, name);
        const data = fs.readFileSync(file);
        if (data.length < 1024) continue;
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
      }
    },
  };
}

/**
 * The files the phone app (/m/, src/web/m/index.html) loads: its entry chunk and everything it
 * imports, statically or on demand, with their CSS and assets. Only these go into the service
 * worker's precache (the desktop pages are not needed on a phone in the field).
 */
const phoneAppFiles = new Set<string>();
function phoneAppGraph(): Plugin {
  return {
    name: 'canbao-phone-app-graph',
    apply: 'build',
    generateBundle(_options, bundle) {
      phoneAppFiles.clear();
      const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry && c.facadeModuleId?.replace(/\\/g, '/').endsWith('/m/index.html'));
      if (!entry || entry.type !== 'chunk') throw new Error('phone app entry (m/index.html) not found in the bundle');
      const queue = [entry.fileName];
      while (queue.length > 0) {
        const name = queue.pop()!;
        if (phoneAppFiles.has(name)) continue;
        phoneAppFiles.add(name);
        const item = bundle[name];
        if (item?.type !== 'chunk') continue;
        queue.push(...item.imports, ...item.dynamicImports);
        const meta = (item as { viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> } }).viteMetadata;
        if (meta) queue.push(...meta.importedCss, ...meta.importedAssets);
      }
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [
    react(),
    precompress(),
    phoneAppGraph(),
    // The phone app's service worker (/m/sw.js, scope /m/): precaches the app so that it opens
    // offline once opened online; API requests always go to the network. The manifest and icons
    // are static files (public/m/), so no link is injected into the desktop pages.
    VitePWA({
      injectRegister: false,
      manifest: false,
      scope: '/m/',
      filename: 'm/sw.js',
      strategies: 'generateSW',
      workbox: {
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest,woff2}'],
        manifestTransforms: [
          // Runs after modifyURLPrefix: the URLs start with '/'.
          async (entries) => ({
            manifest: entries.filter((e) => {
              const file = e.url.replace(/^\//, '');
              return file.startsWith('m/') ? !file.endsWith('sw.js') : phoneAppFiles.has(file);
            }),
            warnings: [],
          }),
        ],
        modifyURLPrefix: { '': '/' },
        navigateFallback: '/m/index.html',
        navigateFallbackAllowlist: [/^\/m(\/|$)/],
        navigateFallbackDenylist: [/^\/api\//],
        inlineWorkboxRuntime: true,
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
        cacheId: 'canbao-m',
      },
    }),
  ],
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // Two pages: the desktop web app and the phone app for field capture (/m/).
      input: { main: path.join(root, 'index.html'), phone: path.join(root, 'm', 'index.html') },
      output: {
        // React in a chunk of its own (changes least between releases, so stays cached); everything
        // else is split by what each page imports (pages are loaded on demand, App.tsx).
        codeSplitting: {
          groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/, priority: 30 }],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});

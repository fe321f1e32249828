import { fileURLToPath } from 'node:url';
import { atumAppConfig } from '@atum-desk/ui/vite-app';

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export default atumAppConfig({
  base: '/portal/',
  devPort: 5173,
  // The app, and the static landing page the server shows at `/` (no JavaScript).
  pages: { index: page('./index.html'), landing: page('./landing.html') },
  initialJsBudgetKb: 80,
});

import { atumAppConfig } from '@atum-desk/ui/vite-app';

export default atumAppConfig({ base: '/portal/', devPort: 5173 });

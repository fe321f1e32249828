import '@atum-desk/ui/styles.css';
import './desk.css';
import { render } from 'solid-js/web';
import { App } from './app.tsx';

const root = document.getElementById('root');
if (!root) {
  throw new Error('index.html has no #root element');
}
render(() => <App />, root);

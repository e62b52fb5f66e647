import { render } from 'preact';
// The base styles first: each screen's own CSS, imported by its component, comes after them in dist/app.css.
import './base.css';
import { App } from './app.js';

const root = document.getElementById('app');
if (root) render(<App />, root);

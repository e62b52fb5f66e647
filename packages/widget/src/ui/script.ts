// dist/beckon-ui.js: hands mount() to the loader that injected this script, without a global.
import { mount } from './index.js';

dispatchEvent(new CustomEvent('beckon:ui', { detail: mount }));

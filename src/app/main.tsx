// The page entry: mounts the React app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './styles.css';
import { startPersisting } from './persist/saved-runs.ts';

// Saved runs come back into the run list, and runs are saved as they go (src/app/persist/).
void startPersisting();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

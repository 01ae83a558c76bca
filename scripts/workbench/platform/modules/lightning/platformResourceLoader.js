// loadScript / loadStyle for static resources the server serves at /resource/.
const loaded = new Map();

function load(url, create) {
  if (!loaded.has(url)) {
    loaded.set(
      url,
      new Promise((resolve, reject) => {
        const element = create(url);
        element.addEventListener('load', () => resolve());
        element.addEventListener('error', () => reject(new Error(`Could not load ${url}`)));
        document.head.appendChild(element);
      })
    );
  }
  return loaded.get(url);
}

export function loadScript(_component, url) {
  return load(url, (src) => {
    const script = document.createElement('script');
    script.src = src;
    return script;
  });
}

export function loadStyle(_component, url) {
  return load(url, (href) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    return link;
  });
}

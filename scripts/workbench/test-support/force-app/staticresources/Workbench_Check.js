window.workbenchCheck = true;

// Loaded in <head>, before the page is drawn: marks the page as scripted, so the collapsed top bar is only
// collapsed when its toggler can open it (charter.css shows the menu open on pages without scripts).
document.documentElement.classList.add("js");

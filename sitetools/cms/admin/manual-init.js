/* Decap starts from pelican-cms.js, once the Pelican format and previews are registered. */
window.CMS_MANUAL_INIT = true;

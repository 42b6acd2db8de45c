// (concept under construction)

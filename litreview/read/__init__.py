"""Reading inputs: seed listings, the de-duplicated catalogue, content/ files and their schema."""

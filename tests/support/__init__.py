"""What the tests share: the imported content, HTML and admin-form readers, real servers,
and the rule for tests that need something the machine may lack."""

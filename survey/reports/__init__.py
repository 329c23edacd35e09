"""Analysis of attitude change for educators and charities."""

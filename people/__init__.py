"""People: lab members and alumni, their groups, social links and education."""

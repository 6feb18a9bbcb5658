print("drugcheck")

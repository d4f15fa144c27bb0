-- Where the network placed a post (lowercase ISO 3166-1 alpha-2), when it says (X places).
ALTER TABLE mentions ADD COLUMN country TEXT;

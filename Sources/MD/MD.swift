// Module MD — see README "Architecture".

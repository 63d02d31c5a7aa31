#include "names.h"

const char *const FIRST_NAMES[] = {
    "Anna", "Mette", "Lone", "Susanne", "Hanne", "Karen", "Camilla", "Louise", "Maria", "Pia",
    "Charlotte", "Line", "Julie", "Signe", "Ida", "Freja", "Sofie", "Birgitte", "Tina", "Rikke",
    "Malene", "Nanna", "Astrid", "Ingrid", "Dorthe", "Søren", "Jens", "Peter", "Lars", "Henrik",
    "Thomas", "Morten", "Jesper", "Anders", "Rasmus", "Mikkel", "Mads", "Christian", "Niels",
    "Kasper", "Jakob", "Bo", "Ole", "Torben", "Frederik", "Emil", "Jonas", "Ahmad", "Fatima",
    "Yasmin", "Ali", "Zainab", "Omar", "Aisha", "Bjørn", "Kirsten", "Grethe", "Åse", "Jørgen",
};
const int NFIRST_NAMES = (int)(sizeof FIRST_NAMES / sizeof *FIRST_NAMES);

const char *const LAST_NAMES[] = {
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen",
    "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Holm", "Lund", "Skov",
    "Dahl", "Bach", "Krogh", "Vestergaard", "Friis", "Bertelsen", "Lauridsen", "Kjær",
    "Østergaard", "Frandsen", "Ibsen", "Winther", "Hussein", "Yilmaz", "Khan", "Nørgaard",
    "Brandt", "Kofoed", "Lindberg", "Storm", "Eskildsen", "Bang", "Mølgaard", "Ravn",
};
const int NLAST_NAMES = (int)(sizeof LAST_NAMES / sizeof *LAST_NAMES);

/* Copenhagen neighbourhoods and street names, for institution names */
const char *const PLACES[] = {
    "Valby", "Vesterbro", "Nørrebro", "Østerbro", "Amager", "Sundby", "Bispebjerg",
    "Brønshøj", "Husum", "Vanløse", "Sydhavn", "Kongens Enghave", "Christianshavn",
    "Islands Brygge", "Ørestad", "Tingbjerg", "Emdrup", "Nordvest", "Utterslev", "Kastrup Fort",
    "Sjælør", "Bavnehøj", "Enghave", "Carlsberg", "Frederiksberg Allé", "Blågården", "Rådmandsgade",
    "Lersø", "Ryparken", "Svanemøllen", "Nordhavn", "Kløvermarken", "Kalvebod", "Tårnby Torv",
    "Solvang", "Bellahøj", "Degnemose", "Grøndal", "Damhus", "Rødovre Port", "Toftegård",
    "Ålholm", "Folehaven", "Hvidovrevej", "Strandvejen", "Holmbladsgade", "Lergravsparken",
    "Englandsvej", "Kirkebjerg", "Hørgården", "Urbanplanen", "Gyldenrisparken", "Lundtoftegade",
    "Mjølnerparken", "Nørrebroparken", "Fælledparken", "Brumleby", "Kartoffelrækkerne",
    "Nyboder", "Holmen", "Refshaleøen", "Kastellet", "Vigerslev", "Kulbanevej", "Sjælland Torv",
};
const int NPLACES = (int)(sizeof PLACES / sizeof *PLACES);
